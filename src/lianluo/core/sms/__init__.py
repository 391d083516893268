"""Text messages to citizens (短信通知): written in the caller's transaction like the outbox,
sent after commit through a pluggable backend (`LIANLUO_SMS_BACKEND`: logging by default, Aliyun
SMS for production). Templates: `templates`; backends: `backends`; writes: `services`."""
