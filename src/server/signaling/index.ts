export { attachGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { isValidResumeToken, mintPeerId, resumeToken } from './resume-token.js';
