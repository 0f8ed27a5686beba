import { bls12_381 } from '@noble/curves/bls12-381.js';
const G1 = bls12_381.G1.Point.BASE, G2 = bls12_381.G2.Point.BASE;
let t = performance.now();
for (let i=0;i<10;i++) bls12_381.pairing(G1, G2);
console.log('pairing ms', (performance.now()-t)/10);
t = performance.now();
for (let i=0;i<10;i++) G2.multiply(123456789012345678901234567890n);
console.log('g2 mul ms', (performance.now()-t)/10);
