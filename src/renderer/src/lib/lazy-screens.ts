// The screens after the first one, as one chunk (lib/screens.ts imports this module on demand). One chunk,
// not one per screen: they are all prefetched right after the first paint anyway, and small chunks each
// compressed alone and importing svelte's helpers by name cost far more bytes than they save.
export { default as ConnectionsScreen } from '../screens/ConnectionsScreen.svelte';
export { default as ReviewScreen } from '../screens/ReviewScreen.svelte';
export { default as ApplyScreen } from '../screens/ApplyScreen.svelte';
export { default as HistoryScreen } from '../screens/HistoryScreen.svelte';
export { default as FleetScreen } from '../screens/FleetScreen.svelte';
export { default as DriftScreen } from '../screens/DriftScreen.svelte';
export { default as TemplatesScreen } from '../screens/TemplatesScreen.svelte';
export { default as WorkspaceScreen } from '../screens/WorkspaceScreen.svelte';
// Parts of the first screens that only a click shows: the instance editor (Add instance, Edit) and the
// queue panel. They come with this chunk so the first script holds only what the first paint needs.
export { default as InstanceEditor } from '../components/InstanceEditor.svelte';
export { default as QueuePanel } from '../components/QueuePanel.svelte';
