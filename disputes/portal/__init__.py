"""The party portal: filing wizard, uploads, a party's case page, the respondents' verweer."""
