export async function main(_argv: string[]): Promise<number> {
  console.log('spokesmith: not implemented yet');
  return 1;
}
