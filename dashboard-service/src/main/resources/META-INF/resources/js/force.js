// A force-directed layout on a canvas: Barnes-Hut repulsion (O(n log n) per step), springs along the edges and a
// pull to the centre. Drag to pan, wheel or +/- to zoom, arrows to move, click (or Enter on the list) to open.

const THETA2 = 0.81; // Barnes-Hut opening criterion, squared (theta = 0.9)

export class ForceGraph {
  constructor(canvas, tip, { nodes, edges, onSelect, describe }) {
    this.canvas = canvas;
    this.tip = tip;
    this.onSelect = onSelect;
    this.describe = describe;
    this.nodes = nodes.map((n, i) => {
      const r = 10 * Math.sqrt(i + 0.5);
      const a = i * Math.PI * (3 - Math.sqrt(5));
      return { ...n, x: r * Math.cos(a), y: r * Math.sin(a), vx: 0, vy: 0, degree: 0 };
    });
    const index = new Map(this.nodes.map((n, i) => [n.id, i]));
    this.edges = [];
    for (const e of edges) {
      const s = index.get(e.source);
      const t = index.get(e.target);
      if (s === undefined || t === undefined || s === t) continue;
      this.edges.push({ s, t, weight: e.weight, type: e.type });
      this.nodes[s].degree++;
      this.nodes[t].degree++;
    }
    this.alpha = 1;
    this.scale = 1;
    this.offsetX = 0;
    this.offsetY = 0;
    this.hover = null;
    this.listen();
    this.resize();
    this.fit = true;
    this.running = true;
    requestAnimationFrame(() => this.frame());
  }

  stop() {
    this.running = false;
    this.resizeObserver?.disconnect();
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    const rect = this.canvas.getBoundingClientRect();
    this.width = rect.width;
    this.height = rect.height;
    this.canvas.width = Math.max(1, Math.round(rect.width * ratio));
    this.canvas.height = Math.max(1, Math.round(rect.height * ratio));
    this.ratio = ratio;
    this.draw();
  }

  frame() {
    if (!this.running) return;
    if (this.alpha > 0.004) {
      const steps = this.nodes.length > 2000 ? 1 : this.nodes.length > 500 ? 2 : 4;
      for (let i = 0; i < steps && this.alpha > 0.004; i++) this.step();
      this.steps = (this.steps || 0) + steps;
      this.canvas.dataset.steps = this.steps; // how far the layout has come, for whoever measures it
      if (this.fit) this.fitView();
      this.draw();
    } else if (!this.settled) {
      this.settled = true;
      this.canvas.dataset.settled = 'true';
    }
    requestAnimationFrame(() => this.frame());
  }

  step() {
    const nodes = this.nodes;
    const alpha = this.alpha;
    // Springs: pull linked nodes towards a rest length, weaker for hubs so they do not collapse.
    for (const e of this.edges) {
      const a = nodes[e.s];
      const b = nodes[e.t];
      let dx = b.x + b.vx - a.x - a.vx;
      let dy = b.y + b.vy - a.y - a.vy;
      const d = Math.sqrt(dx * dx + dy * dy) || 1e-6;
      const strength = 1 / Math.min(a.degree, b.degree);
      const f = (d - 30) / d * alpha * strength;
      dx *= f;
      dy *= f;
      const bias = a.degree / (a.degree + b.degree);
      b.vx -= dx * bias;
      b.vy -= dy * bias;
      a.vx += dx * (1 - bias);
      a.vy += dy * (1 - bias);
    }
    // Repulsion between every pair, approximated by a quadtree.
    const tree = buildTree(nodes);
    for (const n of nodes) repel(tree, n, alpha);
    // A gentle pull to the centre keeps separate components on screen.
    for (const n of nodes) {
      n.vx -= n.x * 0.02 * alpha;
      n.vy -= n.y * 0.02 * alpha;
      n.vx *= 0.6;
      n.vy *= 0.6;
      n.x += n.vx;
      n.y += n.vy;
    }
    this.alpha *= 0.985;
  }

  fitView() {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const n of this.nodes) {
      minX = Math.min(minX, n.x - n.radius);
      maxX = Math.max(maxX, n.x + n.radius);
      minY = Math.min(minY, n.y - n.radius);
      maxY = Math.max(maxY, n.y + n.radius);
    }
    if (!isFinite(minX)) return;
    const scale = Math.min(this.width / (maxX - minX + 40), this.height / (maxY - minY + 40), 4);
    this.scale = scale;
    this.offsetX = this.width / 2 - (minX + maxX) / 2 * scale;
    this.offsetY = this.height / 2 - (minY + maxY) / 2 * scale;
  }

  draw() {
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.save();
    ctx.translate(this.offsetX, this.offsetY);
    ctx.scale(this.scale, this.scale);
    ctx.lineWidth = 0.6 / this.scale;
    ctx.strokeStyle = 'rgba(90, 100, 115, 0.28)';
    ctx.beginPath();
    for (const e of this.edges) {
      const a = this.nodes[e.s];
      const b = this.nodes[e.t];
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
    }
    ctx.stroke();
    for (const n of this.nodes) {
      ctx.beginPath();
      ctx.arc(n.x, n.y, n.radius, 0, 2 * Math.PI);
      ctx.fillStyle = n.colour;
      ctx.fill();
      if (n.organisation) {
        ctx.lineWidth = 2.5 / this.scale;
        ctx.strokeStyle = '#1b1f24';
        ctx.stroke();
      }
    }
    if (this.hover) {
      const n = this.hover;
      ctx.lineWidth = 3 / this.scale;
      ctx.strokeStyle = '#0a4fb5';
      ctx.beginPath();
      ctx.arc(n.x, n.y, n.radius + 3 / this.scale, 0, 2 * Math.PI);
      ctx.stroke();
    }
    // Labels for the biggest nodes, so the centre of the conversation has names.
    ctx.fillStyle = '#1b1f24';
    ctx.font = `${12 / this.scale}px system-ui, sans-serif`;
    for (const n of this.labelled()) {
      ctx.fillText(n.label, n.x + n.radius + 2 / this.scale, n.y + 4 / this.scale);
    }
    ctx.restore();
  }

  labelled() {
    if (!this.top) this.top = [...this.nodes].sort((a, b) => b.radius - a.radius).slice(0, 12);
    return this.top;
  }

  nodeAt(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    const x = (clientX - rect.left - this.offsetX) / this.scale;
    const y = (clientY - rect.top - this.offsetY) / this.scale;
    let best = null;
    let bestDistance = Infinity;
    for (const n of this.nodes) {
      const d = (n.x - x) ** 2 + (n.y - y) ** 2;
      const reach = Math.max(n.radius, 4 / this.scale) ** 2;
      if (d <= reach && d < bestDistance) {
        best = n;
        bestDistance = d;
      }
    }
    return best;
  }

  listen() {
    const c = this.canvas;
    let drag = null;
    c.addEventListener('pointerdown', e => {
      drag = { x: e.clientX, y: e.clientY, ox: this.offsetX, oy: this.offsetY, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', e => {
      if (drag) {
        const dx = e.clientX - drag.x;
        const dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        if (drag.moved) {
          this.fit = false;
          this.offsetX = drag.ox + dx;
          this.offsetY = drag.oy + dy;
          this.draw();
        }
        return;
      }
      const n = this.nodeAt(e.clientX, e.clientY);
      if (n !== this.hover) {
        this.hover = n;
        this.draw();
      }
      if (n) {
        const rect = c.getBoundingClientRect();
        this.tip.textContent = this.describe(n);
        this.tip.style.left = `${e.clientX - rect.left + 12}px`;
        this.tip.style.top = `${e.clientY - rect.top + 12}px`;
        this.tip.style.display = 'block';
        c.style.cursor = 'pointer';
      } else {
        this.tip.style.display = 'none';
        c.style.cursor = 'grab';
      }
    });
    c.addEventListener('pointerup', e => {
      const wasDrag = drag && drag.moved;
      drag = null;
      if (!wasDrag) {
        const n = this.nodeAt(e.clientX, e.clientY);
        if (n) this.onSelect(n);
      }
    });
    c.addEventListener('pointerleave', () => {
      this.tip.style.display = 'none';
    });
    c.addEventListener('wheel', e => {
      e.preventDefault();
      const rect = c.getBoundingClientRect();
      this.zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - rect.left, e.clientY - rect.top);
    }, { passive: false });
    c.addEventListener('keydown', e => {
      const moves = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] };
      if (moves[e.key]) {
        this.fit = false;
        this.offsetX += moves[e.key][0];
        this.offsetY += moves[e.key][1];
        this.draw();
      } else if (e.key === '+' || e.key === '=') {
        this.zoom(1.25, this.width / 2, this.height / 2);
      } else if (e.key === '-') {
        this.zoom(0.8, this.width / 2, this.height / 2);
      } else if (e.key === '0') {
        this.fit = true;
        this.fitView();
        this.draw();
      } else {
        return;
      }
      e.preventDefault();
    });
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(c);
  }

  zoom(factor, cx, cy) {
    this.fit = false;
    this.offsetX = cx - (cx - this.offsetX) * factor;
    this.offsetY = cy - (cy - this.offsetY) * factor;
    this.scale *= factor;
    this.draw();
  }
}

// Barnes-Hut quadtree: each cell holds its total "charge" (node count) and centre of mass.
function buildTree(nodes) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const n of nodes) {
    if (n.x < minX) minX = n.x;
    if (n.x > maxX) maxX = n.x;
    if (n.y < minY) minY = n.y;
    if (n.y > maxY) maxY = n.y;
  }
  const size = Math.max(maxX - minX, maxY - minY, 1) + 1;
  const root = cell(minX, minY, size);
  for (const n of nodes) insert(root, n, 0);
  summarise(root);
  return root;
}

function cell(x, y, size) {
  return { x, y, size, children: null, node: null, count: 0, cx: 0, cy: 0 };
}

function insert(c, n, depth) {
  if (!c.children && !c.node) {
    c.node = n;
    return;
  }
  if (!c.children) {
    if (depth > 40) { // coincident points: keep them in one leaf
      (c.extra ||= []).push(n);
      return;
    }
    const half = c.size / 2;
    c.children = [cell(c.x, c.y, half), cell(c.x + half, c.y, half), cell(c.x, c.y + half, half),
      cell(c.x + half, c.y + half, half)];
    const old = c.node;
    c.node = null;
    insert(child(c, old), old, depth + 1);
  }
  insert(child(c, n), n, depth + 1);
}

function child(c, n) {
  const half = c.size / 2;
  return c.children[(n.x >= c.x + half ? 1 : 0) + (n.y >= c.y + half ? 2 : 0)];
}

function summarise(c) {
  if (c.children) {
    for (const k of c.children) {
      summarise(k);
      c.count += k.count;
      c.cx += k.cx * k.count;
      c.cy += k.cy * k.count;
    }
    if (c.count) {
      c.cx /= c.count;
      c.cy /= c.count;
    }
  } else if (c.node) {
    const all = [c.node, ...(c.extra || [])];
    c.count = all.length;
    c.cx = all.reduce((a, n) => a + n.x, 0) / all.length;
    c.cy = all.reduce((a, n) => a + n.y, 0) / all.length;
  }
}

function repel(c, n, alpha) {
  if (!c.count) return;
  const dx = c.cx - n.x;
  const dy = c.cy - n.y;
  let d2 = dx * dx + dy * dy;
  if (c.children && c.size * c.size / (d2 || 1e-9) >= THETA2) {
    for (const k of c.children) repel(k, n, alpha);
    return;
  }
  if (!c.children && c.node === n && c.count === 1) return;
  if (d2 < 1) d2 = 1;
  const charge = c.children ? c.count : c.count - (c.node === n || c.extra?.includes(n) ? 1 : 0);
  const f = -30 * charge * alpha / d2;
  n.vx += dx * f;
  n.vy += dy * f;
}
