"""Tooling for scale, apart from the product: the synthesizer (``synthesizer``, ``world``,
``draws``, ``words``), its bulk-load mode and clearing (``bulkload``, ``clearing``), and the
benchmark (``benchmark``, ``measuring``, ``figures``)."""
