export { StatusBar } from './statusBar';
