import './zodConfig';
import { mount } from 'svelte';
import App from './App.svelte';
import { DashboardState } from './state/dashboardState.svelte';
import './styles.css';

const state = new DashboardState();
window.addEventListener('message', (event: MessageEvent) => state.receive(event.data));
mount(App, { target: document.getElementById('app')!, props: { state } });
state.ready();
