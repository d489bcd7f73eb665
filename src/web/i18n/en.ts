/**
 * The English catalog: the source of every key. A message is a string, or a function of named placeholders
 * when it has any, so that a translation that forgets or misspells one does not compile. Other catalogs are
 * typed against this one ({@link Catalog}); a unit test walks both.
 *
 * Counts, lists and times use the browser's `Intl` APIs (PluralRules, ListFormat, DateTimeFormat): every
 * browser Parley supports has them, and a translation library would add weight without adding anything a
 * two-language page needs.
 */
import { ROOM_NAME_MESSAGES } from '../../protocol/names.js';
import type { ErrorKey, Message } from './catalog.js';

const people = new Intl.PluralRules('en');
const and = new Intl.ListFormat('en', { type: 'conjunction' });

/** Problems joined into one sentence, capitalised: "No camera was found and the microphone is blocked". */
function sentence(problems: string[]): string {
  const joined = and.format(problems);
  return `${joined.charAt(0).toUpperCase()}${joined.slice(1)}`;
}

export const en = {
  'page.title': 'Parley',
  'page.description': 'Parley: private video calls, straight from your browser.',
  'language.label': 'Language',

  'lobby.tagline': 'Video calls straight between browsers. Nothing passes through the server.',
  'lobby.askingDevices': 'Asking for your camera and microphone…',
  'lobby.room': 'Room',
  'lobby.newRoom': 'New room',
  'lobby.name': 'Your name',
  'lobby.password': 'Password',
  'lobby.passwordHint': 'Optional. Opening a new room? Set one, and others need it to join.',
  'lobby.passwordHintWrong': 'That password did not open the room. Check it and type it again.',
  'lobby.passwordHintRequired': 'This room is protected: type the password you were given.',
  'lobby.join': 'Join',
  'lobby.joining': 'Joining…',
  'lobby.connectionCheck': 'Connection check',
  'lobby.guestName': (p: { number: string }) => `Guest ${p.number}`,

  'media.microphone': 'Microphone',
  'media.camera': 'Camera',
  'media.noMicrophone': 'No microphone',
  'media.noCamera': 'No camera',
  'media.insecure': 'Camera and microphone need a secure (HTTPS) page. You can still join and chat.',
  'media.insecureInCall': 'Camera and microphone need a secure (HTTPS) page. You can still chat.',
  'media.device.camera': 'camera',
  'media.device.microphone': 'microphone',
  'media.blocked': (p: { device: string }) =>
    `the ${p.device} is blocked (allow it in the browser's site settings)`,
  'media.notFound': (p: { device: string }) => `no ${p.device} was found`,
  'media.inUse': (p: { device: string }) => `the ${p.device} is in use by another program`,
  'media.failed': (p: { device: string }) => `the ${p.device} could not be started`,
  /** Both devices for one reason, said once rather than twice over. */
  'media.blockedBoth': "the camera and microphone are blocked (allow them in the browser's site settings)",
  'media.notFoundBoth': 'no camera or microphone was found',
  /** `partial`: some device works, and the call will use it. */
  'media.notice': (p: { problems: string[]; partial: boolean }) =>
    `${sentence(p.problems)}. You can still join${p.partial ? ' with what you have' : ''} and chat.`,
  /** The same, once in the call: joining is done. */
  'media.noticeInCall': (p: { problems: string[]; partial: boolean }) =>
    `${sentence(p.problems)}. ${p.partial ? 'You are in the call with what works.' : 'You can still chat.'}`,

  'call.count': (p: { count: number; max: number }) => `${p.count} of ${p.max}`,
  'call.countTitle': (p: { count: number; max: number }) =>
    `${p.count} ${people.select(p.count) === 'one' ? 'person' : 'people'} in the call, at most ${p.max}`,
  'call.locked': 'Password-protected',
  'call.lockedTitle': 'Only people who know the password can join',
  'call.copyLink': 'Copy link',
  'call.linkCopied': 'Link copied',
  'call.people': 'People',
  'call.controls': 'Call controls',
  'call.leave': 'Leave',
  'call.waiting': 'Waiting for others to join.',
  'call.shareLink': 'Share this link: ',
  'call.passwordSeparately': 'They also need the password: tell them separately, not in the link.',
  'call.serverLost': 'Lost the connection to the server. Your call goes on; reconnecting in the background…',

  'tile.you': 'You',
  'layout.pin': (p: { name: string }) => `Pin ${p.name}`,
  'layout.pinSelf': 'Pin yourself',
  'layout.unpinTitle': 'Unpin: back to everyone',
  'layout.fullScreen': (p: { name: string }) => `Show ${p.name} full screen`,
  'layout.fullScreenSelf': 'Show yourself full screen',
  'layout.exitFullScreen': 'Exit full screen',
  'tile.connecting': 'Connecting…',
  'tile.reconnecting': 'Reconnecting…',
  'tile.relayRefused': 'The relay server refused the credentials',
  'tile.unreachable': (p: { name: string }) => `Could not connect to ${p.name}`,
  'tile.muted': 'Muted',
  'tile.cameraOff': 'Camera off',
  'tile.soundOn': 'Turn sound on',

  'code.name': 'Verification code',
  'code.nameChanged': 'Verification code, changed',
  'code.short': 'Code',
  'code.shortChanged': 'New code',
  'code.advice': (p: { name: string }) =>
    `Verification code: compare it with what ${p.name} sees. If the codes match, nobody is in the middle.`,
  'code.adviceChanged': (p: { name: string }) =>
    `The verification code changed during the call: compare it with ${p.name} again.`,

  'chat.label': 'Chat',
  'chat.message': 'Message',
  'chat.placeholder': 'Say something',
  'chat.placeholderAlone': 'Nobody else is here yet',
  'chat.send': 'Send',

  'link.direct': (p: { protocol: string }) => `Direct · ${p.protocol}`,
  'link.relayed': (p: { protocol: string }) => `Relayed · ${p.protocol}`,
  'link.good': 'Good connection',
  'link.fair': 'Fair connection',
  'link.poor': 'Poor connection',
  'link.qualityUnknown': 'Connection quality not measured yet',
  'link.rtt': (p: { ms: number }) => `round trip ${p.ms} ms`,
  'link.rttUnknown': 'round trip not measured yet',
  'link.loss': (p: { percent: string }) => `packet loss ${p.percent}`,
  'link.lossUnknown': 'packet loss not measured yet',
  'link.pathDirect': (p: { protocol: string }) => `direct over ${p.protocol}`,
  'link.pathRelayed': (p: { protocol: string }) => `relayed, ${p.protocol} to the relay`,
  'link.pathRemoteRelay': (p: { protocol: string }) => `relayed by the other side's relay, ${p.protocol}`,
  /** `path` is empty until the path is known. */
  'link.details': (p: { quality: string; path: string; rtt: string; loss: string }) =>
    `${p.quality}${p.path ? `, ${p.path}` : ''}: ${p.rtt}, ${p.loss}.`,

  'check.checking': 'Checking your connection…',
  'check.noNetwork': 'No network.',
  'check.offlineDetail': 'This device is offline. Check its Wi-Fi or cable.',
  'check.noServerDetail': 'The Parley server cannot be reached. Check your connection, or try again later.',
  'check.limited': 'The connection was not checked.',
  /** `serverMessage`: the server's own words on the limit (in English). */
  'check.limitedDetail': (p: { serverMessage: string }) => `${p.serverMessage} You can still join.`,
  'check.direct': 'A direct connection is possible.',
  'check.relayOnly': 'Only a relay will work.',
  'check.relayOnlyDetail':
    'Your call will go through the relay server, which works but may add a little delay.',
  'check.relayUnreachable': 'The relay server is unreachable.',
  'check.relayUnreachableDetail':
    'Calls need it here and will not connect. A firewall may be blocking it; tell whoever runs this server.',
  'check.relayRefused': 'The relay server refused the credentials.',
  'check.relayRefusedDetail':
    'Calls need it here and will not connect. Tell whoever runs this server (its TURN secret).',
  'check.offlineVerdictDetail': 'Your browser found no network to connect through.',
  'check.asideRefused':
    'The relay server refused the credentials, so people behind strict firewalls may not reach you.',
  'check.asideUnreachable':
    'The relay server did not answer, so people behind strict firewalls may not reach you.',

  'join.failed': 'Could not join the room. Check your connection and try again.',
  'join.roomFull': (p: { room: string }) =>
    `The room “${p.room}” is full. Try another room, or come back when someone has left.`,
  'join.passwordRequired': (p: { room: string }) =>
    `The room “${p.room}” needs a password. Enter it and press Join.`,
  'join.wrongPassword': 'That password is not right. Try again.',
  /** The server's message says whose limit ran out and how long to wait; `seconds` is that wait, if known. */
  'join.rateLimited': (p: { serverMessage: string; seconds: number | undefined }) => p.serverMessage,

  // One per code of src/protocol/errors.ts (the same words as its default messages), and the page's own.
  'error.BAD_REQUEST': 'The request was not understood.',
  'error.VERSION_MISMATCH': 'This page is out of date. Reload it to continue.',
  'error.NOT_IN_ROOM': 'Join a room first.',
  'error.ALREADY_IN_ROOM': 'You are already in a room. Leave it first.',
  'error.ROOM_FULL': 'This room is full.',
  'error.PASSWORD_REQUIRED': 'This room needs a password.',
  'error.WRONG_PASSWORD': 'That password is not right. Try again.',
  'error.RESUME_REJECTED': 'Your place in this room could not be taken back. Join it again.',
  'error.UNKNOWN_PEER': 'That person is not in your room.',
  'error.RATE_LIMITED': 'Too many requests. Slow down and try again.',
  'error.UNAVAILABLE': 'The server cannot let anyone in right now. Try again in a few seconds.',
  'error.INTERNAL': 'Something went wrong on the server.',
  'error.TIMEOUT': 'The server did not answer in time. Try again.',
  'error.NOT_CONNECTED': 'Not connected to the server. Check your connection.',
  'error.ABORTED': 'Cancelled.',
  'error.BAD_RESPONSE': 'The server sent an answer that was not understood. Reload the page and try again.',

  'roomName.empty': ROOM_NAME_MESSAGES.empty,
  'roomName.tooLong': ROOM_NAME_MESSAGES.tooLong,
  'roomName.tooManyBytes': ROOM_NAME_MESSAGES.tooManyBytes,
  'roomName.invisible': ROOM_NAME_MESSAGES.invisible,
  'roomName.badCharacter': ROOM_NAME_MESSAGES.badCharacter,
  'roomName.invalid': 'That is not a valid room name.',

  'name.empty': 'Name is empty.',
  'name.tooLong': (p: { max: number }) => `Name is longer than ${p.max} characters.`,
  'name.unprintable': 'Name contains unprintable characters.',
  'name.broken': 'Name contains a broken character.',
  'name.invisible': 'Name contains invisible characters.',
  'name.nothingVisible': 'Name has nothing visible in it.',
  'name.tooManyMarks': 'Name stacks too many accents on one letter.',
  'name.invalid': 'That name cannot be used.',
  'password.tooLong': (p: { max: number }) => `Password is longer than ${p.max} characters.`,
  'password.invalid': 'That password cannot be used.',

  'inApp.title': (p: { app: string }) => `You opened this link inside ${p.app}.`,
  'inApp.body':
    'Calls may not work in an app’s built-in browser. Tap the “…” menu at the top right and choose “Open in browser”, or copy the link into your browser.',
  'inApp.link': 'Link to this page',
  'inApp.copy': 'Copy',
  'inApp.copied': 'Copied',
  'inApp.app.wechat': 'WeChat',
  'inApp.app.wecom': 'WeCom',
  'inApp.app.qq': 'QQ',
  'inApp.app.weibo': 'Weibo',
  'inApp.app.dingtalk': 'DingTalk',
  'inApp.app.alipay': 'Alipay',
  'inApp.app.douyin': 'Douyin',
  'inApp.app.toutiao': 'Toutiao',
  'inApp.app.feishu': 'Feishu',
  'inApp.app.xiaohongshu': 'Xiaohongshu',
  'inApp.app.facebook': 'Facebook',
  'inApp.app.instagram': 'Instagram',
  'inApp.app.line': 'LINE',

  // What happens in the call, said in passing (a polite live region), and the keyboard shortcuts.
  'notice.joined': (p: { name: string }) => `${p.name} joined`,
  'notice.left': (p: { name: string }) => `${p.name} left`,
  'notice.youAreMuted': (p: { key: string }) =>
    `You are muted. Press ${p.key} or the Microphone button to speak.`,
  'notice.sounds': 'Play a sound when someone joins or leaves',
  /** The tab's title in a call: unread chat first, where a tab strip still shows it. */
  'call.tabTitle': (p: { room: string; count: number; unread: number }) =>
    `${p.unread > 0 ? `(${p.unread}) ` : ''}${p.room} · ${p.count} ${
      people.select(p.count) === 'one' ? 'person' : 'people'
    } · Parley`,
  'shortcuts.tooltip': (p: { action: string; key: string }) => `${p.action} (${p.key})`,
  'shortcuts.title': 'Keyboard shortcuts',
  'shortcuts.microphone': 'Microphone on or off',
  'shortcuts.camera': 'Camera on or off',
  'shortcuts.screen': 'Share screen, or stop sharing',
  'shortcuts.help': 'Show this list',
  'shortcuts.note': 'Shortcuts work while you are not typing in a field.',
  'shortcuts.close': 'Close',

  // The names of the call's next controls, so that they keep to one glossary in every language.
  'screen.of': (p: { name: string }) => `${p.name}'s screen`,
  'screen.yours': 'Your screen',
  'screen.stopTitle': 'Stop sharing your screen',
  'screen.waitsForServer': 'Sharing your screen waits for the connection to the server.',
  'screen.failed': 'Your screen could not be shared.',
  'notice.sharing': (p: { name: string }) => `${p.name} is sharing their screen`,
  'settings.speaker': 'Speaker',
  'settings.noneFound': 'None found',
  /** A device the browser gives no name: "Camera 2". */
  'settings.unnamed': (p: { device: string; number: number }) => `${p.device} ${p.number}`,
  'settings.close': 'Close',
  'settings.switchCamera': 'Switch camera',
  'settings.failed': (p: { device: string }) => `That ${p.device} could not be started.`,
  'settings.unplugged': (p: { device: string; label: string }) =>
    `Your ${p.device} was disconnected. Now using ${p.label}.`,
  'settings.unpluggedNone': (p: { device: string }) => `Your ${p.device} was disconnected.`,
  'files.send': 'Send file',
  'files.sendTo': (p: { name: string }) => `Send a file to ${p.name}`,
  'files.drop': 'Drop files here to send them to everyone',
  'files.save': (p: { name: string }) => `Save ${p.name}`,
  'files.preview': (p: { name: string }) => `Preview of ${p.name}`,
  'files.progress': (p: { done: string; size: string }) => `${p.done} of ${p.size}`,
  'files.progressOf': (p: { name: string }) => `Progress of ${p.name}`,
  'files.moving': (p: { progress: string; rate: string; left: string }) =>
    `${p.progress} · ${p.rate} · ${p.left} left`,
  'files.waitingFor': (p: { name: string }) => `Waiting for ${p.name} to accept…`,
  'files.tooLargeForMemory': 'Too large to keep in memory: choose where to save it, or decline.',
  'files.choosePlace': 'Choose where to save',
  'files.decline': 'Decline',
  'files.cancel': 'Cancel',
  'files.cancelFor': (p: { name: string }) => `Cancel sending to ${p.name}`,
  'files.paused': (p: { progress: string }) =>
    `${p.progress} · connection interrupted, it will go on by itself`,
  'files.verifying': 'Checking that it arrived intact…',
  'files.delivered': (p: { name: string }) => `${p.name} received it intact`,
  'files.intact': 'Arrived intact (SHA-256 checked)',
  'files.savedToDisk': 'Saved where you chose, intact (SHA-256 checked)',
  'files.corruptOut': (p: { name: string }) => `It arrived damaged at ${p.name}'s and was thrown away`,
  'files.corruptIn': 'It arrived damaged (SHA-256 does not match) and was thrown away',
  'files.notSavedOut': (p: { name: string }) => `${p.name}'s browser could not save it`,
  'files.notSavedIn': 'It could not be saved where you chose',
  'files.malformed': (p: { name: string }) => `Stopped: ${p.name}'s browser sent something unexpected`,
  'files.youDeclined': 'You declined it',
  'files.declinedBy': (p: { name: string }) => `${p.name} declined it`,
  'files.tooLargeFor': (p: { name: string; limit: string }) =>
    `Too large for ${p.name}'s browser, which takes files up to ${p.limit}`,
  'files.busy': (p: { name: string }) => `${p.name} is receiving too many files at once; try again soon`,
  'files.youCancelled': 'You cancelled it',
  'files.cancelledBy': (p: { name: string }) => `${p.name} cancelled it`,
  'files.left': (p: { name: string }) => `${p.name} left the call before it was across`,
  'files.failedToRead': 'That file could not be read.',
  'reactions.raiseHand': 'Raise hand',
  'reactions.lowerHand': 'Lower your hand',
  'reactions.handUp': 'Hand raised',
  'reactions.label': 'Reactions',
  'reactions.of': (p: { name: string; emoji: string }) => `${p.name}: ${p.emoji}`,
  'reactions.thumbsUp': 'Thumbs up',
  'reactions.clap': 'Applause',
  'reactions.laugh': 'Laughing',
  'reactions.heart': 'Heart',
  'reactions.party': 'Celebrate',
  'reactions.surprised': 'Surprised',
  'notice.hand': (p: { name: string }) => `${p.name} raised their hand`,
  'chat.earlier': (p: { name: string }) => `Earlier messages, as ${p.name} shared them`,
  'chat.nameTold': (p: { name: string; via: string }) => `${p.name} (as ${p.via} says)`,
  /** The Chat button while lines wait unread. */
  'chat.unread': (p: { count: number }) => `Chat, ${p.count} unread`,
  'files.tooLargeHere': (p: { name: string; limit: string }) =>
    `Too large for this browser, which takes files up to ${p.limit}; ${p.name} was told`,
  'files.busyHere': (p: { name: string }) =>
    `Not taken: too many files are arriving at once; ${p.name} was told to try again soon`,
  'layout.more': (p: { name: string }) => `More for ${p.name}`,
  'layout.moreSelf': 'More for yourself',
  /** Beside Data saver while it is on, and in Call details. */
  'quality.used': (p: { used: string; perHour: string }) => `Data used: ${p.used}, ${p.perHour} an hour`,
  'quality.saverTitle':
    'Data saver: your video upload stays under 0.5 Mbit/s, and the others send you small pictures',
  'settings.upload': 'Video upload',
  'settings.uploadDefault': 'As the server sets it',
  'settings.uploadHint': 'The most your video may use, shared among everyone you send it to.',
  'details.budget': (p: { rate: string }) => `Your video upload: up to ${p.rate}.`,
  'details.nobody': 'Nobody else is in the call yet.',
  'details.path': 'Path',
  'details.rtt': 'Round trip',
  'details.loss': 'Packet loss',
  'details.jitter': 'Jitter',
  'details.sending': 'Sending',
  'details.receiving': 'Receiving',
  'details.noVideo': 'No video',
  'details.notMeasured': 'Not measured yet',
  'details.fps': (p: { fps: number }) => `${p.fps} fps`,
  'details.graphBitrate': 'Video bitrate over the last minute',
  'details.down': 'received',
  'details.up': 'sent',
  'details.copy': 'Copy diagnostics',
  'details.copied': 'Diagnostics copied',
  'details.copyHint': 'Copy diagnostics makes a report for a bug ticket: figures only, no addresses.',
  'controls.shareScreen': 'Share screen',
  'controls.sendFile': 'Send file',
  'controls.settings': 'Settings',
  'controls.testCall': 'Test call',
  'controls.callDetails': 'Call details',
  'controls.dataSaver': 'Data saver',
} satisfies Record<string, Message> & Record<ErrorKey, string>;
