import { describe, expect, it } from 'vitest';
import { inAppBrowser } from './in-app-browser.js';

const ANDROID = 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko)';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)';

describe('inAppBrowser', () => {
  it.each([
    [
      `${ANDROID} Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64`,
      'wechat',
    ],
    [`${IPHONE} Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN`, 'wechat'],
    [`${IPHONE} Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light`, 'wecom'],
    [
      `${ANDROID} Version/4.0 Chrome/109.0.5414.86 MQQBrowser/6.2 TBS/046805 Mobile Safari/537.36 V1_AND_SQ_8.9.85_4766_YYB_D QQ/8.9.85.12820 NetType/WIFI`,
      'qq',
    ],
    [`${IPHONE} Mobile/15E148 Weibo (iPhone14,2__weibo__13.11.1__iphone__os17.4)`, 'weibo'],
    [
      `${ANDROID} Chrome/107.0.5304.141 Mobile Safari/537.36 AliApp(DingTalk/7.5.5) com.alibaba.android.rimet`,
      'dingtalk',
    ],
    [`${IPHONE} Mobile/15E148 AlipayClient/10.5.70.6000 Language/zh-Hans`, 'alipay'],
    [
      `${ANDROID} Chrome/110.0 Mobile Safari/537.36 aweme_290100 JsSdk/1.0 NetType/WIFI Channel/douyin_tengxun_wzl_1108 app_version/29.1.0`,
      'douyin',
    ],
    [`${IPHONE} Mobile/15E148 [FBAN/FBIOS;FBAV/456.0.0.41.110;FBBV/580000000]`, 'facebook'],
  ])('recognises %s', (userAgent, app) => {
    expect(inAppBrowser(userAgent)).toBe(app);
  });

  it.each([
    `${ANDROID} Chrome/120.0.0.0 Mobile Safari/537.36`,
    `${IPHONE} Version/17.4 Mobile/15E148 Safari/604.1`,
    // QQ Browser is a browser of its own, not an app's WebView.
    `${ANDROID} Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.2 Mobile Safari/537.36`,
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 QQBrowser/12.0.0.0',
    'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  ])('leaves an ordinary browser alone: %s', (userAgent) => {
    expect(inAppBrowser(userAgent)).toBeUndefined();
  });
});
