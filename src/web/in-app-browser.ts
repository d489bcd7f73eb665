/**
 * Apps that open links in a browser of their own (a WebView): WeChat, QQ, Weibo and the like. Many of them
 * refuse the camera or WebRTC, or drop the call when the app goes to the background, so the page says at once
 * how to open the link in the system browser instead of letting something fail later.
 *
 * Each is told by the token its user agent carries. Order matters: WeCom's agent also says MicroMessenger.
 * QQ's own app says ` QQ/` (with the space); QQ Browser (`MQQBrowser`, `QQBrowser`) is a real browser.
 */
const IN_APP_BROWSERS = [
  { app: 'wecom', pattern: /\bwxwork\//i },
  { app: 'wechat', pattern: /MicroMessenger/i },
  { app: 'qq', pattern: / QQ\// },
  { app: 'weibo', pattern: /Weibo/i },
  { app: 'dingtalk', pattern: /DingTalk/i },
  { app: 'alipay', pattern: /AlipayClient/i },
  { app: 'douyin', pattern: /\baweme|BytedanceWebview/i },
  { app: 'toutiao', pattern: /NewsArticle/ },
  { app: 'feishu', pattern: /\bLark\/|\bFeishu/i },
  { app: 'xiaohongshu', pattern: /xhsdiscover/i },
  { app: 'facebook', pattern: /\bFBAN\/|\bFBAV\// },
  { app: 'instagram', pattern: /\bInstagram\b/ },
  { app: 'line', pattern: /\bLine\/\d/ },
] as const;

export type InAppBrowser = (typeof IN_APP_BROWSERS)[number]['app'];

/** The app whose built-in browser shows this page, or undefined in an ordinary browser. */
export function inAppBrowser(userAgent: string): InAppBrowser | undefined {
  return IN_APP_BROWSERS.find(({ pattern }) => pattern.test(userAgent))?.app;
}
