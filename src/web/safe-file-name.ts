export { safeFileName } from '../call/files/safe-file-name.js';
