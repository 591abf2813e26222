/** The render benchmark's simulation, bundled for a real browser page (see run.ts). */
import { simulate } from './sim';

(window as unknown as { tierwiseBench: typeof simulate }).tierwiseBench = simulate;
