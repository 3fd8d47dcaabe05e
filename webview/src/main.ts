import './zodConfig';
import { mount } from 'svelte';
import App from './App.svelte';
import { loadMarkdown } from './lib/markdownLoader';
import { dashboard } from './state/app.svelte';
import './styles.css';

window.addEventListener('message', (event: MessageEvent) => dashboard.receive(event.data));
mount(App, { target: document.getElementById('app')! });
dashboard.ready();
// The timeline's Markdown renderer is fetched once the page is idle, so opening a session does not wait for it.
requestIdleCallback(() => void loadMarkdown(), { timeout: 3000 });
