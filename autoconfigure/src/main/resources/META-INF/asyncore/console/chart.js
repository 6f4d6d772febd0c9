// A small live line chart in inline SVG: no library, nothing but numbers reach the DOM.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 300;
const HEIGHT = 48;

/** Creates an empty chart: an <svg> to put in the page and pass to draw(). */
export function createChart(label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  const title = document.createElementNS(SVG, 'title');
  title.textContent = label;
  svg.appendChild(title);
  return svg;
}

/**
 * Draws each series as a polyline over the last `capacity` samples, newest at the right.
 * series: [{ values: number[], className: string, max: number }], each scaled to its own max.
 */
export function draw(svg, series, capacity) {
  for (const old of svg.querySelectorAll('polyline')) {
    old.remove();
  }
  const step = WIDTH / Math.max(1, capacity - 1);
  for (const { values, className, max } of series) {
    if (values.length < 2) {
      continue;
    }
    const top = (max > 0) ? max : 1;
    const offset = capacity - values.length;
    const points = values.map((value, i) => {
      const x = (offset + i) * step;
      const v = Number.isFinite(value) ? Math.min(Math.max(value, 0), top) : 0;
      const y = HEIGHT - 1 - (v / top) * (HEIGHT - 2);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('class', className);
    line.setAttribute('points', points.join(' '));
    svg.appendChild(line);
  }
}
