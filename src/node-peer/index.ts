export { NodePeer, type NodePeerMedia, type NodePeerOptions } from './node-peer.js';
export { EchoMedia } from './echo-media.js';
export { WeriftPeerConnection } from './werift-peer-connection.js';
export { provideMediaStreamGlobal } from './media-stream-global.js';
export { ECHO_PEER_NAME, startEchoPeer, type EchoPeerHandle, type EchoPeerRequest } from './echo-peer.js';
