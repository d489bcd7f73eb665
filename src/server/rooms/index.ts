export type { JoinOutcome, Member, RoomRegistry } from './registry.js';
export { MemoryRoomRegistry } from './memory-registry.js';
