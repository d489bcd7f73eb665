import { MemoryRoomRegistry } from './memory-registry.js';
import { describeRoomRegistry } from './registry-contract.js';

describeRoomRegistry('MemoryRoomRegistry', () => new MemoryRoomRegistry());
