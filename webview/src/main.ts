import './zodConfig';
import { mount } from 'svelte';
import App from './App.svelte';
import { dashboard } from './state/app.svelte';
import './styles.css';

window.addEventListener('message', (event: MessageEvent) => dashboard.receive(event.data));
mount(App, { target: document.getElementById('app')! });
dashboard.ready();
