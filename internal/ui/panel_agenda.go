package ui

// panelAgendaRoutes registers the pages for panel rounds, meetings, agendas and cohorts.
func (s *Server) panelAgendaRoutes(pages *Routes) {
}
