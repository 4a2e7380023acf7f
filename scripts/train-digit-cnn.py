#!/usr/bin/env python3
"""
Trains the Eastern-digit glyph classifier as a small convolutional network and writes
src/document/ocr/digit-net.json (read by src/document/ocr/digit-net.ts, which runs it in TypeScript).

    apt-get install -y --no-install-recommends python3-torch python3-numpy    # Debian's PyTorch (CPU)
    npx tsx scripts/train-digit-net.ts --data /tmp/synthtrain --extract-only  # glyph patches → eastern-samples.bin
    /usr/bin/python3 scripts/train-digit-cnn.py --data /tmp/synthtrain

The samples are the ones scripts/train-digit-net.ts cuts from generated captures (grey glyph patches of
PATCH×PATCH cells plus four shape cues, labels, and a held-out flag by card). Training is deterministic on
one machine (fixed seeds, single thread) and takes a few minutes on two CPU cores. Nothing is downloaded.

Network: conv3×3(1→16)+ReLU+maxpool2, conv3×3(16→32)+ReLU+maxpool2, then the 800 maps and the 4 cues →
dense 128 + ReLU → 11 logits (٠–٩ and '/'). Training shifts each batch of patches by up to one cell and scales
each patch's ink depth, since the reader's crops are never centred or inked exactly alike.
"""
import argparse
import base64
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PATCH = 20
FEAT = PATCH * PATCH + 4
LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '/']
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(path):
    with open(path, 'rb') as f:
        b = f.read()
    (n,) = struct.unpack_from('<I', b, 0)
    x = np.frombuffer(b, dtype='<f4', count=n * FEAT, offset=4).reshape(n, FEAT).copy()
    y = np.frombuffer(b, dtype=np.uint8, count=n, offset=4 + n * FEAT * 4).astype(np.int64)
    val = np.frombuffer(b, dtype=np.uint8, count=n, offset=4 + n * FEAT * 4 + n).astype(bool)
    return x, y, val


class Net(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.f1 = nn.Linear(32 * 5 * 5 + 4, hidden)
        self.f2 = nn.Linear(hidden, len(LABELS))

    def forward(self, x):
        img = x[:, : PATCH * PATCH].view(-1, 1, PATCH, PATCH)
        h = F.max_pool2d(F.relu(self.c1(img)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        h = torch.cat([h.flatten(1), x[:, PATCH * PATCH :]], 1)
        return self.f2(F.relu(self.f1(h)))


def augment(xb, gen):
    """Shift the batch by up to one cell and scale each patch's ink depth (the cues stay as measured)."""
    n = xb.shape[0]
    img = xb[:, : PATCH * PATCH].view(n, PATCH, PATCH)
    dy, dx = torch.randint(-1, 2, (2,), generator=gen).tolist()
    img = torch.roll(img, shifts=(dy, dx), dims=(1, 2))
    if dy > 0:
        img[:, :dy, :] = 0
    elif dy < 0:
        img[:, dy:, :] = 0
    if dx > 0:
        img[:, :, :dx] = 0
    elif dx < 0:
        img[:, :, dx:] = 0
    depth = 0.7 + 0.4 * torch.rand((n, 1, 1), generator=gen)
    img = (img * depth).clamp(0, 1)
    return torch.cat([img.reshape(n, -1), xb[:, PATCH * PATCH :]], 1)


def f32(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype='<f4').tobytes()).decode('ascii')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True, help='folder holding eastern-samples.bin')
    ap.add_argument('--epochs', type=int, default=16)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--hidden', type=int, default=128)
    ap.add_argument('--out', default=os.path.join(ROOT, 'src/document/ocr/digit-net.json'))
    args = ap.parse_args()

    torch.manual_seed(20261202)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(7)
    x, y, val = load(os.path.join(args.data, 'eastern-samples.bin'))
    print(f'{len(y)} glyphs, {val.sum()} held out (cards whose number ends in 0)')

    # Standardisation: one mean and scale for all patch cells (a convolution shares its weights across
    # them), one per shape cue. Folded into the exported mean/scale so the TypeScript side stays generic.
    tr = ~val
    mean = np.zeros(FEAT, dtype=np.float32)
    scale = np.ones(FEAT, dtype=np.float32)
    px = x[tr, : PATCH * PATCH]
    mean[: PATCH * PATCH] = px.mean()
    scale[: PATCH * PATCH] = 1.0 / (px.std() + 1e-6)
    cues = x[tr, PATCH * PATCH :]
    mean[PATCH * PATCH :] = cues.mean(0)
    scale[PATCH * PATCH :] = 1.0 / (cues.std(0) + 1e-6)

    # Augmentation works on raw patches (0 = paper); standardisation is applied after it.
    X = torch.from_numpy(x)
    Y = torch.from_numpy(y)
    M = torch.from_numpy(mean)
    S = torch.from_numpy(scale)
    tr_idx = torch.from_numpy(np.nonzero(tr)[0])
    va_idx = torch.from_numpy(np.nonzero(val)[0])

    net = Net(args.hidden)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * ((len(tr_idx) + 255) // 256)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)

    def evaluate(idx):
        net.eval()
        wrong = 0
        with torch.no_grad():
            for k in range(0, len(idx), 4096):
                b = idx[k : k + 4096]
                wrong += (net((X[b] - M) * S).argmax(1) != Y[b]).sum().item()
        net.train()
        return wrong

    for epoch in range(args.epochs):
        t = time.time()
        perm = tr_idx[torch.randperm(len(tr_idx), generator=gen)]
        total = 0.0
        for k in range(0, len(perm), 256):
            b = perm[k : k + 256]
            xb = (augment(X[b], gen) - M) * S
            loss = F.cross_entropy(net(xb), Y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(b)
        wrong = evaluate(va_idx)
        print(f'epoch {epoch + 1}/{args.epochs}: loss {total / len(perm):.4f}, held-out errors {wrong}/{len(va_idx)} '
              f'({100 * (1 - wrong / max(1, len(va_idx))):.2f}% right), {time.time() - t:.0f} s', flush=True)

    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    stored = {
        'version': 1,
        'labels': LABELS,
        'mean': f32(mean),
        'scale': f32(scale),
        'conv': [
            {'inputs': 1, 'outputs': 16, 'w': f32(sd['c1.weight']), 'b': f32(sd['c1.bias']), 'pool': True},
            {'inputs': 16, 'outputs': 32, 'w': f32(sd['c2.weight']), 'b': f32(sd['c2.bias']), 'pool': True},
        ],
        'layers': [
            {'inputs': 32 * 25 + 4, 'outputs': args.hidden, 'w': f32(sd['f1.weight']), 'b': f32(sd['f1.bias'])},
            {'inputs': args.hidden, 'outputs': len(LABELS), 'w': f32(sd['f2.weight']), 'b': f32(sd['f2.bias'])},
        ],
    }
    # A few held-out patches with PyTorch's probabilities: the tests check that the TypeScript forward pass
    # (digit-net.ts) reproduces them from the committed file.
    net.eval()
    probe = va_idx[:: max(1, len(va_idx) // 8)][:8]
    with torch.no_grad():
        p = F.softmax(net((X[probe] - M) * S), 1)
    stored['check'] = [{'x': f32(X[i].numpy()), 'p': [round(v, 6) for v in p[k].tolist()]} for k, i in enumerate(probe.tolist())]
    with open(args.out, 'w') as f:
        json.dump(stored, f, separators=(',', ':'))
    print(f'written {os.path.relpath(args.out, ROOT)}')


if __name__ == '__main__':
    sys.exit(main())
