from pipelines.extraction.relevance import is_relevant, profile_from_data, relevance_score


def test_talks_report_scores_high_and_unrelated_news_low():
    talks = relevance_score(
        "Astana talks on Syria open",
        "The guarantors met Syrian delegations for a new round of talks.",
    )
    sport = relevance_score("Cup final", "The league match ended in a draw on Sunday.")
    assert talks > 0.9 and sport < 0.1


def test_other_conflicts_pull_the_score_down():
    yemen = relevance_score("Yemen talks", "Yemen's government and the Houthis began talks.")
    syria = relevance_score("Syria talks", "Syria's government and the opposition began talks.")
    assert syria > yemen


def test_custom_profile_and_threshold():
    profile = profile_from_data(
        {
            "name": "Libya",
            "threshold": 0.6,
            "bias": -2.0,
            "terms": [{"pattern": "Libya", "weight": 1.5, "cap": 3}],
        }
    )
    assert is_relevant(None, "Libya Libya talks", profile)
    assert not is_relevant(None, "Syria talks", profile)
