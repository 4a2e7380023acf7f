#!/usr/bin/env python3
"""
Trains the card mask network and writes src/document/card-net.json, read by src/document/card-net.ts, which runs it
on onnxruntime, as a graph built from this file's weights (the architecture is described there).

    apt-get install -y --no-install-recommends python3-torch python3-numpy        # Debian's PyTorch (CPU)
    npx tsx scripts/extract-card-samples.ts --cards 250 --from 0 --seed 881 --per-side 5 --out /tmp/card-samples-0.bin
    npx tsx scripts/extract-card-samples.ts --cards 250 --from 250 --seed 881 --per-side 5 --out /tmp/card-samples-1.bin
    /usr/bin/python3 scripts/train-card-net.py --data /tmp/card-samples-0.bin --data /tmp/card-samples-1.bin

Samples of cards whose index ends in 0 (every tenth card: samples come ten to a card) are held out; after each
epoch the script prints the held-out mean IoU of the mask cut at 0.5. Augmented with flips, quarter turns and
colour changes (the photo's own aspect is already lost to the stretch). Fixed seeds, nothing downloaded.
"""
import argparse
import base64
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENCODER = [16, 24, 32, 48, 48, 48]
DECODER = [32, 24, 16]


def load(paths):
    xs, ms = [], []
    for p in paths:
        b = open(p, 'rb').read()
        assert b[:4] == b'CMS1', p
        n, S, M = struct.unpack('<III', b[4:16])
        rec = S * S * 3 + M * M
        # A file still being written holds fewer samples than its header says.
        n = min(n, (len(b) - 16) // rec)
        a = np.frombuffer(b, np.uint8, n * rec, 16).reshape(n, rec)
        xs.append(a[:, :S * S * 3].reshape(n, S, S, 3))
        ms.append(a[:, S * S * 3:].reshape(n, M, M))
    return np.concatenate(xs), np.concatenate(ms), S, M


class CardNet(nn.Module):
    def __init__(self):
        super().__init__()
        enc, c = [], 3
        for o in ENCODER:
            enc.append(nn.Conv2d(c, o, 3, padding=1))
            c = o
        self.encoder = nn.ModuleList(enc)
        skips = ENCODER[:len(ENCODER) - 2][::-1][:len(DECODER)]
        dec = []
        for o, s in zip(DECODER, skips):
            dec.append(nn.Conv2d(c + s, o, 3, padding=1))
            c = o
        self.decoder = nn.ModuleList(dec)
        self.out = nn.Conv2d(c, 1, 1)

    def forward(self, x):
        skips = []
        for i, L in enumerate(self.encoder):
            x = F.relu(L(x))
            if i < len(self.encoder) - 2:
                skips.append(x)
                x = F.max_pool2d(x, 2)
        for L in self.decoder:
            x = F.relu(L(torch.cat([F.interpolate(x, scale_factor=2, mode='nearest'), skips.pop()], 1)))
        return self.out(x)[:, 0]


def augment(x, m, g):
    """x: B×3×S×S in [0, 255], m: B×M×M in [0, 1]."""
    if torch.rand(1, generator=g) < 0.5:
        x, m = x.flip(3), m.flip(2)
    if torch.rand(1, generator=g) < 0.5:
        x, m = x.flip(2), m.flip(1)
    if torch.rand(1, generator=g) < 0.5:
        x, m = x.transpose(2, 3), m.transpose(1, 2)
    B = x.shape[0]
    gain = 0.7 + 0.6 * torch.rand(B, 1, 1, 1, generator=g)
    tint = 0.85 + 0.3 * torch.rand(B, 3, 1, 1, generator=g)
    shift = -30 + 60 * torch.rand(B, 1, 1, 1, generator=g)
    x = (x * gain * tint + shift).clamp(0, 255)
    return x, m


def standardise(x):
    return (x - 128.0) / 64.0


def iou(logits, m):
    p = logits > 0
    t = m > 0.5
    inter = (p & t).flatten(1).sum(1).float()
    union = (p | t).flatten(1).sum(1).float().clamp(min=1)
    return (inter / union).mean().item()


def f32(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype='<f4').tobytes()).decode('ascii')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', action='append', required=True)
    ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--out', default=os.path.join(ROOT, 'src/document/card-net.json'))
    a = ap.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(2)
    X, Mk, S, M = load(a.data)
    idx = np.arange(len(X))
    held = (idx // 10) % 10 == 0
    Xt = torch.from_numpy(X[~held]).permute(0, 3, 1, 2).float()
    Mt = torch.from_numpy(Mk[~held]).float() / 255
    Xv = standardise(torch.from_numpy(X[held]).permute(0, 3, 1, 2).float())
    Mv = torch.from_numpy(Mk[held]).float() / 255
    print(f'{len(Xt)} training captures, {len(Xv)} held out; input {S}, mask {M}', flush=True)
    net = CardNet()
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    steps = a.epochs * ((len(Xt) + a.batch - 1) // a.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.1)
    g = torch.Generator().manual_seed(2)
    for ep in range(a.epochs):
        t0 = time.time()
        net.train()
        perm = torch.randperm(len(Xt), generator=g)
        total = 0.0
        for b in range(0, len(Xt), a.batch):
            j = perm[b:b + a.batch]
            x, m = augment(Xt[j], Mt[j], g)
            logits = net(standardise(x))
            p = torch.sigmoid(logits)
            dice = 1 - (2 * (p * m).flatten(1).sum(1) + 1) / (p.flatten(1).sum(1) + m.flatten(1).sum(1) + 1)
            loss = F.binary_cross_entropy_with_logits(logits, m) + dice.mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(j)
        net.eval()
        with torch.no_grad():
            v = torch.cat([net(Xv[i:i + 256]) for i in range(0, len(Xv), 256)])
        print(f'epoch {ep + 1}/{a.epochs}: loss {total / len(Xt):.4f}, held-out IoU {iou(v, Mv):.4f}, {time.time() - t0:.0f} s', flush=True)
    conv = lambda L: {'inputs': L.in_channels, 'outputs': L.out_channels, 'w': f32(L.weight.detach().numpy()), 'b': f32(L.bias.detach().numpy())}
    stored = {
        'version': 1, 'input': S, 'mask': M,
        'encoder': [conv(L) for L in net.encoder],
        'decoder': [conv(L) for L in net.decoder],
        'out': {'inputs': net.out.in_channels, 'w': f32(net.out.weight.detach().numpy().reshape(-1)), 'b': float(net.out.bias.item())},
        'check': {'input': base64.b64encode(X[held][0].tobytes()).decode('ascii'), 'mask': f32(torch.sigmoid(v[0]).numpy())},
    }
    with open(a.out, 'w') as f:
        json.dump(stored, f)
    print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
