/* The dashboard's and the big screen's charts (Apache ECharts, vendored). The numbers come
   from the page's own JSON (json_script "insights-data"); every chart's numbers are also in a
   table on the page, so nothing is lost without this script. No inline script or style: the
   CSP forbids them (tooltips are drawn on the canvas, renderMode "richText"). */
(function () {
  "use strict";
  var source = document.getElementById("insights-data");
  if (!source || typeof window.echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var dark = document.body.classList.contains("screen");
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
  document.body.classList.add("charts-on");
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign({}, base, option));
    charts.push(chart);
  }

  function bars(names, series) {
    return {
      xAxis: Object.assign({ type: "category", data: names }, axis),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, axis),
      series: series,
    };
  }

  draw("chart-trend", Object.assign(bars(data.trend.keys, [
    { name: data.labels.received, type: "line", data: data.trend.received, symbolSize: 8, lineStyle: { width: 3 } },
    { name: data.labels.closed, type: "line", data: data.trend.closed, symbolSize: 8, lineStyle: { width: 3, type: "dashed" } },
  ]), { tooltip: Object.assign({}, base.tooltip, { trigger: "axis" }) }));

  draw("chart-channels", {
    legend: { show: false },
    series: [{
      type: "pie",
      radius: ["35%", "65%"],
      data: data.channels,
      label: { color: ink, fontSize: big - 2, formatter: "{b}: {c}" },
    }],
  });

  draw("chart-ratings", {
    legend: { show: false },
    series: [{
      type: "pie",
      radius: ["35%", "65%"],
      data: data.ratings,
      label: { color: ink, fontSize: big - 2, formatter: "{b}: {c}" },
    }],
  });

  if (data.children.names.length) {
    draw("chart-children", bars(data.children.names, [
      { name: data.labels.received, type: "bar", data: data.children.received },
      { name: data.labels.closed, type: "bar", data: data.children.closed },
    ]));
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
