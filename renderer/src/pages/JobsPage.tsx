export { JobsPage } from './jobs/JobsPage.tsx';
