"""Production serving: Caddy in front of n Streamlit replicas (`make serve REPLICAS=n`). See serving/Caddyfile."""
