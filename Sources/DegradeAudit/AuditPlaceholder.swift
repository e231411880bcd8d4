// placeholder replaced by the audit work
enum AuditPlaceholder {}
