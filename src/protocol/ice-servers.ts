import * as z from 'zod/mini';

/** One entry of RTCConfiguration.iceServers, as the server hands it to a client on join. */
export const IceServer = z.strictObject({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.exactOptional(z.string()),
  credential: z.exactOptional(z.string()),
});
export type IceServer = z.infer<typeof IceServer>;

/** Whether clients may use any path (`all`) or only relayed ones (`relay`): RTCIceTransportPolicy. */
export const IceTransportPolicy = z.enum(['all', 'relay']);
export type IceTransportPolicy = z.infer<typeof IceTransportPolicy>;
