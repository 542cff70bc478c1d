"""Turning a statement's figures into a PDF: HTML parts, WeasyPrint, joining, a chart."""
