"""Reading prose: sentences, money amounts, period phrases, and the rules that read them."""
