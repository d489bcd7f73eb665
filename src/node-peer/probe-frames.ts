// Made by scripts/make-probe-frames.ts (Chromium's VP8 encoder): 8 keyframes of 160x120, a bar
// moving across. Each decodes on its own, so the probe can send them in a loop.
export const PROBE_VP8_FRAMES: readonly string[] = [
  'sAcAnQEqoAB4AABHCIWFiJmEiAKCAwUuhzr6T//TKDIWpIPUiTNMYBcN7hgFwyVpjALhvcMAuGStMYBcN7hgFwyVpjALZAD+/6F4+wbUnQ4JG2//8HoAujlD/vFx/Y3/+Pl//vFx/Y3+xnfNRt2fowALO3vVKT1BkdYifA==',
  'MAgAnQEqoAB4AAGHCIWFiJmEiAkCAdkADYyQl6uO0wNZ5XKALhjTxJmmMAuOypgCrJKGaW9UIqZ+isiSDvqgtTGzDSQfADqcMc4A/vpFy/+ojmDHAH/6+QIKCv/aeMXhv3P8mm0hCP5Kkngko6ShXxv5+Divp5NPS8QnwQA=',
  'MAkAnQEqoAB4AAEHCIWFiJmEiAYCAsSVC/gPJqWZ7MBqy4+VZybQqmDid/wzp0+t7BCxY0s/U5CxpZ+pyFjSz9TkLGln6nIWNLP1OQsaWfqcgYD+/MvWZkDR/krNpEn/74Gs8ionxNb/0dFCHeea/gw1l4sz+BQbPT6W5Wh4B/oo',
  'EAoAnQEqoAB4AADHCIWFiJmEiAQCGcM6C+Af0Bkfb4FqfsNfirwgYZhlI7Mn+1ZKJNyMvNOFG0yM8vHuZGXED96aZGXmnCjaZGeXj3MjLiB+9NMjLzThRtEA/v5Vbf/G60EF3n/+FUREkIn//qDEL/xn/BlP9TPpP/BlP9Tcm+JKCM9dPGkP7/v9/y1f//rR7RlZAOxfj2z2zidnwZW44f/7lljZQog=',
  '8AkAnQEqoAB4AABHCIWFiJmEiAKCGcM6C+Af0Bkfb4Fs/y0+q/iAB3ewrwfl7g2kIMAzF3N6ZKgZi0XdCdk7FuxRaZGUrkc2TsmGaYh4lwf4YgjUP0SmbuD+/tJ3//MzbSd4Xf/yB8Lxol/+1qfz8Wqak49c//8HoAtNY/7xcf2N2dwP+8XH9jf6+odfbxrPevt71SvBrLXYIUaRWEJqBW+ejFR6Y8S9AA==',
  'EAoAnQEqoAB4AABHCIWFiJmEiAGiEBdnKF/AdIV6r+IH5AUoGIAQrCfaL/rvlD788TO5xdmMAoflmsQe7OuuMdITLKaB7syUyh0hMENGHuzGSqcJgCsbMxgA/v75jXSZJfm/aWzrphs14tv//WSC1v8PDLvPc7v8PDLwEmP6YtoThHubpif//VOTQIkJd/GJiwpDpdrVCKCgAA==',
  'cAoAnQEqoAB4AAAHCIWFiJmEiAEkEBbgKF/AfwB6ELAvK/xm/CulAxACFYT7RgFCrOTaFaXjXCyVGAXwxoqoLUxsw0kHwA6nDHSKh24pIP5OlVBamNmGkg+AHQgA/v75hfPLyj9Jbb/APqov//xDousXKT0y+vDVGf/94ou2OA+UAamsgc4fKANTHcBeyIGz3Yco3SaqK8IGyYA=',
  'UAkAnQEqoAB4AAAHCIWFiJmEiAEkEBdnKF/AfxA1RXgP4V/hnSgYgBClztS/5X5Viy26I2WApc2WAbCQoRf/PGwa6m/2W6m9yLqm9xGeCtxF5rCA/v75iIZvmb+ZsT5Fn6OT//8Q6Mpf5XzT4l4fyvmnwgxwjVB8tzZA',
];
