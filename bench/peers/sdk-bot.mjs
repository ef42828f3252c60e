// The peer: a Lark bot written the way the official SDK's README shows it. EventDispatcher and
// adaptDefault on node:http, replying from inside the handler, persisting nothing.
import http from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';

const env = process.env;
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
const client = new lark.Client({
  appId: env.LARK_APP_ID,
  appSecret: env.LARK_APP_SECRET,
  domain: env.LARK_API_BASE,
  logger: silent,
});

const dispatcher = new lark.EventDispatcher({
  encryptKey: env.LARK_ENCRYPT_KEY,
  verificationToken: env.LARK_VERIFICATION_TOKEN,
  logger: silent,
}).register({
  'im.message.receive_v1': async (data) => {
    await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: data.message.chat_id,
        msg_type: 'text',
        content: JSON.stringify({ text: 'hello' }),
      },
    });
  },
});

const server = http.createServer(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }));
server.listen(Number(env.PORT), '127.0.0.1', () =>
  console.log(JSON.stringify({ event: 'server.listening', port: server.address().port })),
);
