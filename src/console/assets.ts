/**
 * The console's own script: draws each chart from the figures the page carries (a JSON block
 * beside a canvas) with Chart.js, served from this server. Each chart also has a table of the
 * same figures for screen readers and for anyone without scripts.
 */
export const consoleScript = `
(() => {
  const palette = ['#b3261e', '#0b62c4', '#1a7f37', '#9a6700', '#8250df', '#5b6470', '#bf3989', '#0a7ea4', '#d1242f', '#4d2d00', '#116329'];
  for (const block of document.querySelectorAll('script[type="application/json"][data-chart]')) {
    const spec = JSON.parse(block.textContent || '{}');
    const canvas = document.getElementById(block.getAttribute('data-chart'));
    if (!canvas || typeof Chart === 'undefined') continue;
    const datasets = spec.datasets.map((d, i) => ({
      ...d,
      backgroundColor: d.backgroundColor || (spec.type === 'line' ? palette[i % palette.length] : palette[i % palette.length]),
      borderColor: d.borderColor || palette[i % palette.length],
    }));
    canvas.chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: spec.horizontal ? 'y' : 'x',
        scales: spec.stacked ? { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } : { y: { beginAtZero: true } },
        plugins: { legend: { display: datasets.length > 1 || Boolean(spec.legend) } },
      },
    });
  }
})();
`;
