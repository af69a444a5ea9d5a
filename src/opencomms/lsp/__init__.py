"""The language server: live findings, quick fixes, explanations and scores in the editor.

``opencomms lsp`` runs :func:`opencomms.lsp.server.serve` over stdio; ``docs/editors.md`` shows how to
configure VS Code, Neovim and Emacs. Positions are converted in :mod:`opencomms.lsp.positions`.
"""
