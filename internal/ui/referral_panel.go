package ui

// referralPanelRoutes registers the pages for a referral's panel steps: agenda, decisions, deferral.
func (s *Server) referralPanelRoutes(pages *Routes) {
}
