export { attachGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { issueResumeToken, mintPeerId, openResumeToken } from './resume-token.js';
export { DEFAULT_PASSWORD_GUESS_LIMIT, type PasswordGuessLimit } from './password-guesses.js';
