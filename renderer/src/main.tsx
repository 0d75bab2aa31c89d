import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'uplot/dist/uPlot.min.css';
import './ui/tokens.css';
import './ui/base.css';
import './ui/components.css';
import './app/shell.css';
import './pages/devices/devices.css';
import './pages/overview/earning.css';
import './pages/wallet/wallet.css';
import './pages/market/market.css';
import './pages/jobs/jobs.css';
import './pages/earn/earn.css';
import '@xterm/xterm/css/xterm.css';
import './pages/console/console.css';
import { contract } from '../../common/ipc/contract.ts';
import { createClient } from '../../common/ipc/client.ts';
import { pickConnection } from './state/transport.ts';
import { createHearthStore } from './state/store.ts';
import { HearthProvider } from './state/context.tsx';
import { applyCachedTheme } from './state/theme.ts';
import { App } from './app/App.tsx';

applyCachedTheme();

const connection = pickConnection(window);
const store = createHearthStore({ client: createClient(contract, connection.transport), connection });
store.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <HearthProvider store={store}>
      <App />
    </HearthProvider>
  </StrictMode>,
);
