"""The knowledge-base domain: content, checks, answers, referrals and the `kb` command."""
