"""The dashboard's pages (统计分析): the dashboard, the records behind a figure, the big screen."""
