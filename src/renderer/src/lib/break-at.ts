// Long identifiers (Exchange_Online_Credentials_clientCred, https://graph.microsoft.us) are single words to
// the browser, so a narrow column broke them anywhere ("…_clien / tCred"). These are the places where a
// reader expects a break: after `_`, `.` and `/`. The BreakAt component puts a <wbr> at each.
export function breakParts(text: string): string[] {
  return text.split(/(?<=[_./])/).filter((part) => part !== '');
}
