from search.lexicon import parse_synonyms, parse_userdict


def test_userdict_parses_parts_and_reports_bad_lines():
    words, problems = parse_userdict("# c\n육아휴직\tNNP\t0\t육아 휴직\n육휴\tNNP\t0\t\n"
                                     "나쁜 단어\tNNP\n육아휴직급\tNNP\t0\t육아 급여\n")
    assert [w.word for w in words] == ["육아휴직", "육휴"]
    assert words[0].parts == ("육아", "휴직")
    assert [p.line for p in problems] == [4, 5]


def test_synonyms_parse_and_report():
    lines, problems = parse_synonyms("육아휴직 = 육휴, 육아 휴직\n\n# x\n잘못된 줄\n해고 =\n")
    assert lines[0].canonical == "육아휴직" and lines[0].variants == ("육휴", "육아 휴직")
    assert [p.line for p in problems] == [4, 5]
