#!/usr/bin/env python3
"""
Trains the number-line recognisers (CTC over whole grey lines) and writes src/document/ocr/line-net.json (ID
numbers) and line-net-dates.json (dates), read by src/document/ocr/line-net.ts, which runs them on onnxruntime (graphs built from this file's weights).

    apt-get install -y --no-install-recommends python3-torch python3-numpy        # Debian's PyTorch (CPU)
    npx tsx scripts/gen-synth.ts --n 1200 --seed 777 --out /tmp/synthtrain
    npx tsx scripts/extract-line-samples.ts --data /tmp/synthtrain                 # → line-samples.bin
    npx tsx scripts/gen-synth.ts --n 400 --seed 779 --level heavy --out /tmp/line-heavy
    npx tsx scripts/extract-line-samples.ts --data /tmp/line-heavy
    /usr/bin/python3 scripts/train-line-net.py --data /tmp/synthtrain --data /tmp/line-heavy --kinds id --epochs 10 --lr 3e-3
    /usr/bin/python3 scripts/train-line-net.py --data /tmp/synthtrain --data /tmp/line-heavy --kinds id,date --epochs 8 --lr 3e-3 \
        --out src/document/ocr/line-net-dates.json

The second ID network (line-net-heavy.json; a number counts only where both ID networks read it) learned from more
heavy captures and from boxes placed off the line, on lines extracted afresh (each set holds one line-samples.bin):
    npx tsx scripts/gen-synth.ts --n 1200 --seed 777 --out /tmp/digit-train
    npx tsx scripts/extract-line-samples.ts --data /tmp/digit-train --jitter 3 --box-jitter 0.025
    npx tsx scripts/gen-synth.ts --n 400 --seed 779 --level heavy --out /tmp/line-heavy
    npx tsx scripts/extract-line-samples.ts --data /tmp/line-heavy --jitter 4 --box-jitter 0.025
    npx tsx scripts/gen-synth.ts --n 400 --seed 780 --level heavy --out /tmp/line-heavy2
    npx tsx scripts/extract-line-samples.ts --data /tmp/line-heavy2 --jitter 4 --box-jitter 0.025
    /usr/bin/python3 scripts/train-line-net.py --data /tmp/digit-train --data /tmp/line-heavy --data /tmp/line-heavy2 \
        --kinds id --epochs 8 --lr 3e-3 --out src/document/ocr/line-net-heavy.json
  17,600 ID lines, eight epochs of ~190 s on two cores; held-out lines exact by best path 77.4 % (a third of them
  heavy, most with jittered corners or boxes).

Lines come from line-samples.bin in each --data folder (see extract-line-samples.ts); cards whose number ends in 0
are held out and scored (exact line text, best path, before the reader's valid-number or date search) after each
epoch. Fixed seeds (with two threads, runs may differ in the last bits); nothing downloaded.
- ID network (--kinds id): 12,800 lines, ten epochs of ~100 s on two cores, 76.7 % of held-out lines exact by
  best path (the jittered copies cut digits at the box edge; the reader's search over valid numbers then gets
  98.3 % of the eval set's lines with true corners).
- Date network (--kinds id,date): trained on date lines (19,200) and ID lines (12,800) together. On date lines
  alone it did not learn: unstretched, the loss stayed near 1.0 for four epochs with almost no line right, and
  stretched, 400 steps gave nothing readable where ID lines alone were already read right. With the ID lines,
  whose digits it learns within a few hundred steps, it reads dates too. Shipped for dates only (the ID network stays
  the one its trust threshold was calibrated on). 32,000 lines, eight epochs of ~210 s; held-out lines exact by
  best path: dates 74.5 %, ID numbers 76.8 %. Date planes are stretched twice as wide (line-net.ts LINE_STRETCH).

Network (input HEIGHT=40 rows, standardised by the line's own mean and spread):
conv3×3(1→12)+ReLU+pool 2×2, conv(12→24)+pool 2×2, conv(24→48)+pool 2×1, conv(48→48) → per column 48×height/8
maps → dense 96 + ReLU → conv1d k=3 (96→96) + ReLU → 12 logits (blank, ٠–٩, '/'). Batches mix widths: every layer's
output is zeroed beyond each line's own width, so a padded line computes exactly what the TypeScript side does
on the line alone.
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

LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '/']
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIN_SPREAD = 8.0
CHANNELS = [12, 24, 48, 48]
HIDDEN = 96


def load(path):
    with open(path, 'rb') as f:
        b = f.read()
    n, height = struct.unpack_from('<IH', b, 0)
    off = 6
    out = []
    for _ in range(n):
        w, kind, held, tl = struct.unpack_from('<HBBB', b, off)
        off += 5
        text = b[off : off + tl].decode('ascii')
        off += tl
        plane = np.frombuffer(b, dtype=np.uint8, count=height * w, offset=off).reshape(height, w)
        off += height * w
        out.append((plane, kind, bool(held), text))
    return height, out


def standardise(plane):
    x = plane.astype(np.float64)
    mean = x.mean()
    spread = max(MIN_SPREAD, float(np.sqrt(max(0.0, (x * x).mean() - mean * mean))))
    return ((x - mean) / spread).astype(np.float32)


class LineNet(nn.Module):
    POOLS = [(2, 2), (2, 2), (2, 1), None]

    def __init__(self, height, channels=CHANNELS, hidden=HIDDEN):
        super().__init__()
        ins = [1] + channels[:-1]
        self.convs = nn.ModuleList([nn.Conv2d(i, o, 3, padding=1) for i, o in zip(ins, channels)])
        # Batch normalisation trains this network in a few epochs instead of stalling at CTC's blank plateau;
        # at export it is folded into the convolution before it.
        self.norms = nn.ModuleList([nn.BatchNorm2d(o) for o in channels])
        rows = height // 8
        self.column = nn.Linear(channels[-1] * rows, hidden)
        self.temporal = nn.Conv1d(hidden, hidden, 3, padding=1)
        self.out = nn.Linear(hidden, len(LABELS) + 1)

    def forward(self, x, widths):
        """x: (N, 1, H, W) standardised, zero beyond each width; returns log-probs (T, N, C) and lengths."""
        h = x
        w = widths.clone()
        for conv, norm, pool in zip(self.convs, self.norms, self.POOLS):
            h = F.relu(norm(conv(h)))
            if pool:
                h = F.max_pool2d(h, pool)
                w = torch.div(w, pool[1], rounding_mode='floor')
            mask = (torch.arange(h.shape[3])[None, :] < w[:, None]).to(h.dtype)
            h = h * mask[:, None, None, :]
        n, c, rows, t = h.shape
        h = F.relu(self.column(h.permute(0, 3, 1, 2).reshape(n, t, c * rows)))
        mask = (torch.arange(t)[None, :] < w[:, None]).to(h.dtype)
        h = h * mask[:, :, None]
        h = F.relu(self.temporal(h.transpose(1, 2))).transpose(1, 2)
        return F.log_softmax(self.out(h), 2).transpose(0, 1), w


def batch(samples, idx, height, gen=None):
    widths = [samples[i][0].shape[1] for i in idx]
    W = max(widths)
    x = np.zeros((len(idx), 1, height, W), dtype=np.float32)
    for k, i in enumerate(idx):
        x[k, 0, :, : widths[k]] = samples[i][4]
    x = torch.from_numpy(x)
    if gen is not None:
        x = x + 0.08 * torch.randn(x.shape, generator=gen) * (x != 0)
    targets = [LABELS.index(ch) + 1 for i in idx for ch in samples[i][3]]
    return x, torch.tensor(widths), torch.tensor(targets), torch.tensor([len(samples[i][3]) for i in idx])


def greedy(logp, lengths):
    best = logp.argmax(2).transpose(0, 1).numpy()
    out = []
    for row, n in zip(best, lengths.tolist()):
        s, prev = [], 0
        for c in row[:n]:
            if c != prev and c != 0:
                s.append(LABELS[c - 1])
            prev = c
        out.append(''.join(s))
    return out


def f32(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype='<f4').tobytes()).decode('ascii')


def dense(w, b):
    return {'inputs': int(w.shape[1]), 'outputs': int(w.shape[0]), 'w': f32(w), 'b': f32(b)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', action='append', required=True, help='folder holding line-samples.bin (repeatable)')
    ap.add_argument('--epochs', type=int, default=12)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--kinds', default='id,date', help='id, date or both')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', default=os.path.join(ROOT, 'src/document/ocr/line-net.json'))
    args = ap.parse_args()

    torch.manual_seed(20261202)
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(11)
    kinds = {'id': 0, 'date': 1}
    keep = {kinds[k] for k in args.kinds.split(',')}
    samples = []
    height = None
    for d in args.data:
        height, s = load(os.path.join(d, 'line-samples.bin'))
        samples += [(p, kind, held, text, standardise(p)) for (p, kind, held, text) in s if kind in keep]
    tr = [i for i, s in enumerate(samples) if not s[2]]
    va = [i for i, s in enumerate(samples) if s[2]]
    print(f'{len(samples)} lines ({len(tr)} train, {len(va)} held out), height {height}')

    net = LineNet(height)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    # Batches are drawn at random, mixing widths (front and back lines): batch statistics taken over one kind of
    # line only would differ from the running ones the exported network uses, and the network learned to lean on that.
    steps_per_epoch = (len(tr) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch)

    def evaluate():
        net.eval()
        right = {0: [0, 0], 1: [0, 0]}
        with torch.no_grad():
            vs = sorted(va, key=lambda i: samples[i][0].shape[1])
            for k in range(0, len(vs), 128):
                idx = vs[k : k + 128]
                x, w, _, _ = batch(samples, idx, height)
                logp, lens = net(x, w)
                for i, text in zip(idx, greedy(logp, lens)):
                    r = right[samples[i][1]]
                    r[1] += 1
                    r[0] += text == samples[i][3]
        net.train()
        return ', '.join(f'{name} {100 * r[0] / r[1]:.2f}% of {r[1]}' for name, r in (('id', right[0]), ('date', right[1])) if r[1])

    for epoch in range(args.epochs):
        t = time.time()
        order = [tr[i] for i in torch.randperm(len(tr), generator=gen).tolist()]
        total = 0.0
        for k in range(0, len(order), args.batch):
            x, w, targets, tlens = batch(samples, order[k : k + args.batch], height, gen)
            logp, lens = net(x, w)
            loss = F.ctc_loss(logp, targets, lens, tlens, blank=0, zero_infinity=True)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total += loss.item()
        print(f'epoch {epoch + 1}/{args.epochs}: loss {total / steps_per_epoch:.4f}, held-out exact: {evaluate()} ({time.time() - t:.0f} s)', flush=True)

    # Check entries: held-out lines with the probabilities PyTorch gives, for the TypeScript equivalence test.
    net.eval()
    checks = []
    with torch.no_grad():
        for i in va[:: max(1, len(va) // 3)][:3]:
            x, w, _, _ = batch(samples, [i], height)
            logp, _ = net(x, w)
            plane = samples[i][0]
            checks.append({'width': int(plane.shape[1]), 'plane': base64.b64encode(plane.tobytes()).decode('ascii'), 'probs': f32(logp[:, 0, :].exp().numpy())})
    sd = {k: v.detach().numpy().astype(np.float64) for k, v in net.state_dict().items()}

    def folded(j):
        """Conv weights and bias with the batch norm after it folded in (eval mode: running statistics)."""
        g = sd[f'norms.{j}.weight'] / np.sqrt(sd[f'norms.{j}.running_var'] + net.norms[j].eps)
        w = sd[f'convs.{j}.weight'] * g[:, None, None, None]
        b = (sd[f'convs.{j}.bias'] - sd[f'norms.{j}.running_mean']) * g + sd[f'norms.{j}.bias']
        return w, b

    convs = []
    for j, p in enumerate(LineNet.POOLS):
        w, b = folded(j)
        convs.append({'inputs': int(w.shape[1]), 'outputs': int(w.shape[0]), 'w': f32(w), 'b': f32(b), 'pool': list(p) if p else None})
    stored = {
        'version': 1,
        'height': height,
        'labels': LABELS,
        'convs': convs,
        'column': dense(sd['column.weight'], sd['column.bias']),
        'temporal': {**dense(sd['temporal.weight'].reshape(HIDDEN, -1), sd['temporal.bias']), 'inputs': HIDDEN, 'k': 3},
        'out': dense(sd['out.weight'], sd['out.bias']),
        'check': checks,
    }
    with open(args.out, 'w') as f:
        json.dump(stored, f)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
