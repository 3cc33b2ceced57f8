export { buildServer } from './build.js';
export { loadConfig, type FrontEndConfig } from './config.js';
