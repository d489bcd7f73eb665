export { attachGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { isValidResumeToken, mintPeerId, resumeToken } from './resume-token.js';
export { DEFAULT_PASSWORD_GUESS_LIMIT, type PasswordGuessLimit } from './password-guesses.js';
