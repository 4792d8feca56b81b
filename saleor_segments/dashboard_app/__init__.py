"""The Dashboard app: its manifest and its built pages, served by the plugin under app/."""
