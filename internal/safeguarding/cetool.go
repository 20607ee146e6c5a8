package safeguarding

// The Child Exploitation Indicator Tool as a structured checklist.
//
// The reference pack (the CAP welcome pack's "Child Exploitation Indicator Tool" section) says the
// tool must be completed whenever there are concerns about exploitation and links to Coventry's
// download, but does not reproduce the tool's own indicators. These groups follow the areas such
// screening tools ask about; check them against the current Coventry tool before relying on them.

// IndicatorGroup is one section of the tool.
type IndicatorGroup struct {
	Title      string
	Indicators []IndicatorDef
}

// IndicatorDef is one indicator: a stable code (stored) and the words shown.
type IndicatorDef struct {
	Code string
	Text string
}

// IndicatorGroups are the tool's sections in order.
var IndicatorGroups = []IndicatorGroup{
	{Title: "Going missing", Indicators: []IndicatorDef{
		{"missing-home", "Missing from home or care, or returning late without explanation"},
		{"missing-education", "Missing from school or the placement, or leaving during the day"},
		{"missing-overnight", "Staying out overnight, or found far from home"},
	}},
	{Title: "Relationships and associates", Indicators: []IndicatorDef{
		{"older-associates", "Relationships or friendships with older people, or people known to be involved in exploitation"},
		{"peer-change", "New friendship groups, or cut off from previous friends and family"},
		{"controlling", "A relationship in which they appear to be controlled or afraid"},
	}},
	{Title: "Money, gifts and possessions", Indicators: []IndicatorDef{
		{"unexplained-money", "Money, clothes, jewellery or other items they cannot account for"},
		{"phones", "More than one phone or SIM card, or a phone that is constantly ringing"},
		{"debt", "Owing money or favours, or being told they are in debt"},
	}},
	{Title: "Physical and emotional health", Indicators: []IndicatorDef{
		{"injuries", "Unexplained injuries"},
		{"sexual-health", "Sexual health concerns, or pregnancy"},
		{"substances", "Use of drugs or alcohol"},
		{"wellbeing", "Changes in mood, withdrawal, anxiety or self-harm"},
	}},
	{Title: "Education and behaviour", Indicators: []IndicatorDef{
		{"attendance", "A sudden fall in attendance or engagement"},
		{"behaviour", "A marked change in behaviour, or new aggression"},
	}},
	{Title: "Travel and locations", Indicators: []IndicatorDef{
		{"travel", "Travelling, or being driven, to places they have no reason to be"},
		{"locations", "Seen at addresses or places linked to exploitation"},
	}},
	{Title: "Online and phone use", Indicators: []IndicatorDef{
		{"secretive-online", "Secretive about their phone or online contacts"},
		{"images", "Sharing, or being asked to share, images"},
	}},
	{Title: "Offending and police contact", Indicators: []IndicatorDef{
		{"arrests", "Arrested or stopped by the police, including away from Coventry"},
		{"weapons", "Carrying a weapon, or talking about needing one"},
		{"drugs-supply", "Carrying or supplying drugs"},
	}},
}

// IndicatorByCode is the indicator with the code, or a zero IndicatorDef.
func IndicatorByCode(code string) IndicatorDef {
	for _, g := range IndicatorGroups {
		for _, in := range g.Indicators {
			if in.Code == code {
				return in
			}
		}
	}
	return IndicatorDef{}
}

// GroupOf is the title of the group the indicator is in.
func GroupOf(code string) string {
	for _, g := range IndicatorGroups {
		for _, in := range g.Indicators {
			if in.Code == code {
				return g.Title
			}
		}
	}
	return ""
}
