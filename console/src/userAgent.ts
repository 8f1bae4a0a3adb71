// A readable summary of a User-Agent header ("Chrome 131", "macOS"): enough for a person to tell
// their browsers apart in the list of sessions. Names of products stay as they are in every
// language; the whole header is shown on hover.

export interface AgentSummary {
  /** "Firefox 128", or the first product token of a non-browser client ("curl 8.5"); '' unknown. */
  browser: string;
  /** "Windows", "macOS", "iOS", "Android", "ChromeOS", "Linux"; '' unknown. */
  os: string;
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\b(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\b(?:Chrome|CriOS|HeadlessChrome|Chromium)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\b(?:Macintosh|Mac OS X)\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export function summarizeAgent(ua: string | null | undefined): AgentSummary {
  const agent = (ua || '').trim();
  if (!agent) return { browser: '', os: '' };
  let browser = '';
  for (const [re, name] of BROWSERS) {
    const m = re.exec(agent);
    if (m) {
      browser = name + ' ' + m[1];
      break;
    }
  }
  if (!browser && !agent.startsWith('Mozilla/')) {
    // A script or tool: its own product token (curl/8.5.0 → curl 8.5).
    const m = /^([A-Za-z][\w.-]*)(?:\/(\d+(?:\.\d+)?))?/.exec(agent);
    if (m) browser = m[2] ? m[1] + ' ' + m[2] : m[1];
  }
  let os = '';
  for (const [re, name] of SYSTEMS) {
    if (re.test(agent)) {
      os = name;
      break;
    }
  }
  return { browser, os };
}
