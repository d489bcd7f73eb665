export { startStunServer, type RunningStunServer, type StunServerOptions } from './stun-server.js';
export { mintTurnCredentials, iceServersFor, type TurnCredentials } from './turn-credentials.js';
export { joinIce, hostnameOf, type IceSettings, type JoinIce } from './join-ice.js';
