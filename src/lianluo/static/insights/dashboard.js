/* The dashboard's and the big screen's charts (Apache ECharts, vendored). The numbers come
   from the page's own JSON (json_script "insights-data"); every chart's numbers are also on the
   page as text, so nothing is lost without this script. No inline script or style: the CSP
   forbids them (tooltips are drawn on the canvas, renderMode "richText").
   On the big screen (body[data-refresh-url]) the figures, charts and ranking are fetched again
   every few minutes and redrawn in place. */
(function () {
  "use strict";
  var source = document.getElementById("insights-data");
  if (!source || typeof window.echarts === "undefined") return;
  var body = document.body;
  var dark = body.classList.contains("screen");
  var ink = dark ? "#ffffff" : "#1d1d1f";
  var line = dark ? "#5a6b85" : "#cccccc";
  var colors = dark
    ? ["#ffd166", "#06d6a0", "#8ecae6", "#ff8fab", "#cdb4db"]
    : ["#a4161a", "#1b7f3b", "#0b4a8b", "#7a4a00", "#5c2d91"];
  var big = dark ? 22 : 15;
  var base = {
    color: colors,
    textStyle: { color: ink, fontSize: big },
    tooltip: { renderMode: "richText", textStyle: { fontSize: big } },
    legend: { top: 0, textStyle: { color: ink, fontSize: big } },
    grid: { left: 12, right: 12, top: 48, bottom: 12, containLabel: true },
    animation: false,
  };
  var axis = {
    axisLabel: { color: ink, fontSize: big - 2 },
    axisLine: { lineStyle: { color: line } },
    splitLine: { lineStyle: { color: line } },
  };
  body.classList.add("charts-on");
  var charts = {};

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    if (!charts[id]) charts[id] = window.echarts.init(el, null, { renderer: "canvas" });
    charts[id].setOption(Object.assign({}, base, option), true);
  }

  function bars(names, series) {
    return {
      xAxis: Object.assign({ type: "category", data: names }, axis),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, axis),
      series: series,
    };
  }

  function pie(items) {
    // a slice of nothing draws only a label without a slice: leave it to the table
    items = items.filter(function (item) { return item.value > 0; });
    return {
      legend: { show: false },
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        data: items,
        label: { color: ink, fontSize: big - 2, formatter: "{b}: {c}", overflow: "none" },
      }],
    };
  }

  function render(data) {
    draw("chart-trend", Object.assign(bars(data.trend.keys, [
      { name: data.labels.received, type: "line", data: data.trend.received, symbolSize: 8, lineStyle: { width: 3 } },
      { name: data.labels.closed, type: "line", data: data.trend.closed, symbolSize: 8, lineStyle: { width: 3, type: "dashed" } },
    ]), { tooltip: Object.assign({}, base.tooltip, { trigger: "axis" }) }));
    draw("chart-channels", pie(data.channels));
    draw("chart-ratings", pie(data.ratings));
    if (data.children.names.length) {
      draw("chart-children", bars(data.children.names, [
        { name: data.labels.received, type: "bar", data: data.children.received },
        { name: data.labels.closed, type: "bar", data: data.children.closed },
      ]));
    }
  }

  function refreshed(answer) {
    Object.keys(answer.shown).forEach(function (name) {
      var el = document.querySelector('[data-testid="fig-' + name + '"]');
      if (el) el.textContent = answer.shown[name];
    });
    var items = document.querySelectorAll("[data-testid=ranking] li");
    answer.ranking.forEach(function (row, i) {
      var li = items[i];
      if (!li) return;
      li.querySelector("span").textContent = row.name;
      li.querySelector("b").textContent = row.received;
      li.querySelector("small span").textContent = row.satisfaction;
    });
    render(answer.charts);
  }

  render(JSON.parse(source.textContent));
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });

  var url = body.getAttribute("data-refresh-url");
  var seconds = parseInt(body.getAttribute("data-refresh-seconds") || "0", 10);
  if (url && seconds > 0) {
    window.setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) { if (answer) refreshed(answer); })
        .catch(function () { /* keep the figures shown; try again next time */ });
    }, seconds * 1000);
  }
})();
