// First: its mark is when evaluation began (lib/started-mark.ts).
import './lib/started-mark';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

// User Timing marks: the browser benchmark (test/e2e/harness/first-render.ts) reads them to split the first
// render into "script evaluated" and "App mounted".
performance.mark('spokesmith:modules-evaluated');
mount(App, { target: document.getElementById('app')! });
performance.mark('spokesmith:mounted');
