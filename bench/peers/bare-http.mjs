// The machine's limit: a bare node:http server that reads each request and answers 200 `{}`,
// verifying, storing and replying to nothing. No server can acknowledge faster on these cores.
import http from 'node:http';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('server.listening'));
