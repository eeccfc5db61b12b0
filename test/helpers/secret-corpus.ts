/**
 * Secrets of every shape inc must never print, each with the text it appears in. The values are made up
 * but shaped like the real thing (right prefixes and lengths), so the rule set recognises them.
 */
export interface SecretSample {
  name: string;
  /** A line as a log, a title or a note would hold it. */
  text: string;
  /** The part that must not appear in any output. */
  secret: string;
}

const githubToken = `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}`;
const awsAccessKey = 'AKIAZ7VQWERTY2345678';
const awsSecretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY1234567890';
const slackToken = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
const slackWebhook = 'https://hooks.slack.com/services/T01234567/B01234567/abcdefghijklmnopqrstuvwx';
const stripeKey = 'sk_live_51HxYzAbCdEfGhIjKlMnOpQr';
const awsSecretKey2 = 'Zk3qR8vLp2Xw9TnB4yHc6JmD1sFgA7uE5oKiVbQe';
const gitlabToken = 'glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn';
const googleKey = 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';
const openaiKey = 'sk-proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv';

export const SECRET_CORPUS: readonly SecretSample[] = [
  {
    name: 'postgres URL password',
    text: 'connect postgres://app:Pg-S3cret-77@db:5432/app failed',
    secret: 'Pg-S3cret-77',
  },
  {
    name: 'bearer token',
    text: 'upstream said 401 to Authorization: Bearer zq81Tok3nValue0042',
    secret: 'zq81Tok3nValue0042',
  },
  { name: 'password mid-line', text: 'login failed, password: hunter2-xyz for user app', secret: 'hunter2-xyz' },
  { name: 'password flag', text: 'exec: migrate --password Fl4gPassw0rd --verbose', secret: 'Fl4gPassw0rd' },
  { name: 'token flag with =', text: 'started with --token=tk-998877665544', secret: 'tk-998877665544' },
  { name: 'AWS access key id', text: `aws key ${awsAccessKey} rejected`, secret: awsAccessKey },
  { name: 'AWS secret access key', text: `aws_secret_access_key = ${awsSecretKey}`, secret: awsSecretKey },
  { name: 'GitHub token', text: `git clone with ${githubToken} failed`, secret: githubToken },
  { name: 'Slack token', text: `slack client ${slackToken} revoked`, secret: slackToken },
  { name: 'Slack webhook URL', text: `posting to ${slackWebhook} timed out`, secret: slackWebhook.slice(33) },
  { name: 'Stripe key', text: `charge failed for key ${stripeKey}`, secret: stripeKey },
  // The AWS rule's range is 40 characters from the variable's name: the rest of the key was left.
  {
    name: 'AWS secret key in env form',
    text: `boot: AWS_SECRET_ACCESS_KEY=${awsSecretKey2} done`,
    secret: awsSecretKey2,
  },
  { name: 'quoted password', text: 'config password="Quot3d-Pass-88" loaded', secret: 'Quot3d-Pass-88' },
  { name: 'spaced password', text: 'db password = Spac3d-Pass-99', secret: 'Spac3d-Pass-99' },
  { name: 'URL password without a user', text: 'redis://:R3dis-Pass-11@cache:6379 refused', secret: 'R3dis-Pass-11' },
  { name: 'curl basic credentials', text: 'ran curl -u admin:Curl-Pass-22 https://api', secret: 'Curl-Pass-22' },
  { name: 'cookie header', text: 'Cookie: session=Sess10n-Value-33', secret: 'Sess10n-Value-33' },
  { name: 'secret key flag', text: 'exec: app --signing-key=Flag-Key-Value-44 --v', secret: 'Flag-Key-Value-44' },
  { name: 'GitLab token', text: `clone with ${gitlabToken} failed`, secret: gitlabToken },
  { name: 'Google API key', text: `maps key ${googleKey} over quota`, secret: googleKey },
  { name: 'OpenAI project key', text: `llm call with ${openaiKey} denied`, secret: openaiKey },
  { name: 'GitHub token, longer', text: `token ${githubToken}AB in .netrc`, secret: `${githubToken}AB` },
  {
    name: 'token as a URL user',
    text: 'cannot sync with https://T0kenAsUser5566778899@git.example/team/inc.git: 403',
    secret: 'T0kenAsUser5566778899',
  },
];

/** A value redacted because it is known (an environment variable's), whatever its shape. */
export const KNOWN_SECRET = { env: 'FLAG_TOKEN', value: 'Bearer ffv-7d3c9a41e2', credential: 'ffv-7d3c9a41e2' };
