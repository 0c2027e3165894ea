// The module `electron` resolves to when the harness loads the built main: it re-exports the stand-in
// object the test created (electron-stand-in.ts) for this main instance (`?harness=<id>`).
const id = new URL(import.meta.url).searchParams.get('harness');
const standIn = globalThis.__spokesmithElectronStandIns?.get(id);
if (!standIn) throw new Error(`No Electron stand-in registered for harness instance ${id}`);

export const { app, BrowserWindow, ipcMain, protocol, session, shell, Menu, screen, dialog } = standIn;
export default standIn;
