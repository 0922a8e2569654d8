import * as L from './lib.mjs';
let t = Date.now();
const b = await L.launch(); console.log('launch', Date.now() - t);
for (let i = 0; i < 3; i++) {
  t = Date.now(); const { page, context } = await L.open(b, {watchAuth: false}); console.log('open', Date.now() - t);
  t = Date.now(); await page.goto(L.BASE); console.log('goto', Date.now() - t);
  t = Date.now(); await L.login(page, L.who('O0002'), {goto:false}); console.log('login', Date.now() - t);
  t = Date.now(); const r = await L.axe(page, 'x'); console.log('axe', Date.now() - t, r.violations.length);
  t = Date.now(); await page.goto(L.BASE + 'rodo.html'); console.log('goto rodo', Date.now() - t);
  t = Date.now(); await L.axe(page, 'x'); console.log('axe rodo', Date.now() - t);
  await context.close();
}
await b.close();
