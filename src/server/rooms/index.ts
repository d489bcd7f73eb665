export {
  OPEN_ROOM,
  type HeldPlace,
  type JoinOutcome,
  type Member,
  type RoomAccess,
  type RoomRegistry,
} from './registry.js';
export { type PasswordHash, hashRoomPassword, verifyRoomPassword } from './room-password.js';
export { MemoryRoomRegistry } from './memory-registry.js';
